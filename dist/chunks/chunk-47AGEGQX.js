#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a as s}from"./chunk-XBXYQOLN.js";var u=2e3,p=/^([\s\u0085\u180e]*)(::|##\[)/;function i(r,n=u){let t=r.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,e=>e===`
`?"\\n":e==="\r"?"\\r":e==="	"?" ":`\\u${e.charCodeAt(0).toString(16).padStart(4,"0")}`);return t=t.replace(p,(e,g,o)=>`${g}${o[0]}\u200B${o.slice(1)}`),t.length>n&&(t=`${t.slice(0,n)}\u2026 (${t.length-n} more characters)`),t}function l(r){return r.split(/\r?\n/).map(n=>i(n,1/0)).join(`
`)}function f(r,n=u){return c(i(r,n)).replace(/@/g,"@\u200B").replace(/:\/\//g,":\u200B//")}function c(r){return r.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/([\\`*_[\]|#~])/g,"\\$1").replace(/\r\n|[\r\n\u2028\u2029]/g," ")}function $(r){let n=s(r);if(n.length>0)throw new Error(`refusing to set an output to an invalid revision name "${i(r,80)}": ${n.join("; ")}`);return r}export{i as a,l as b,f as c,c as d,$ as e};
