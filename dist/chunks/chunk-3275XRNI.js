#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{b as u}from"./chunk-RWO5X36K.js";import{a as s}from"./chunk-XBXYQOLN.js";var p=2e3,c=/^([\s\u0085\u180e]*)(::|##\[)/;function i(r,t=p){let e=r.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,n=>n===`
`?"\\n":n==="\r"?"\\r":n==="	"?" ":`\\u${n.charCodeAt(0).toString(16).padStart(4,"0")}`);return e=e.replace(c,(n,g,o)=>`${g}${o[0]}\u200B${o.slice(1)}`),e.length>t&&(e=`${e.slice(0,t)}\u2026 (${e.length-t} more characters)`),e}function m(r){return r.split(/\r?\n/).map(t=>i(t,1/0)).join(`
`)}function $(r,t=p){return a(i(u(r),t)).replace(/@/g,"@\u200B").replace(/:\/\//g,":\u200B//")}function a(r){return r.replace(/&/g,"&amp;").replace(/</g,"&lt;").replace(/>/g,"&gt;").replace(/([\\`*_[\]|#~])/g,"\\$1").replace(/\r\n|[\r\n\u2028\u2029]/g," ")}function d(r){let t=s(r);if(t.length>0)throw new Error(`refusing to set an output to an invalid revision name "${i(r,80)}": ${t.join("; ")}`);return r}export{i as a,m as b,$ as c,a as d,d as e};
