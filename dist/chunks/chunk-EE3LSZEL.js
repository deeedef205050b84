#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a as p}from"./chunk-NTCQVAQD.js";import{a as l}from"./chunk-3275XRNI.js";import{d as a}from"./chunk-Y3RWSZVK.js";var c=a(p(),1);var u=64;function w(e,s){if(d(e,u))throw new Error(f(s));let o;try{o=(0,c.parse)(e,{maxAliasCount:10,prettyErrors:!0})}catch(i){throw new Error(`${s}: not valid YAML: ${l(i.message.split(`
`)[0],300)}`,{cause:i})}if(b(o,u))throw new Error(f(s));return o}var f=e=>`${e}: nests deeper than ${u} levels; refusing it`;function d(e,s){let o=0,i=0,t;for(let n=0;n<e.length;n++){if(!t&&(n===0||e[n-1]===`
`)&&(i=h(e,n,s),o+i>s))return!0;let r=e[n];if(t)r==="\\"&&t==='"'?n++:r===t&&(t=void 0);else if(r==='"'||r==="'")t=r;else if(r==="#"&&(n===0||/\s/.test(e[n-1])))for(;n<e.length&&e[n]!==`
`;)n++;else if(r==="["||r==="{"){if(++o+i>s)return!0}else(r==="]"||r==="}")&&(o=Math.max(0,o-1))}return!1}function h(e,s,o){let i=r=>r===" "||r==="	",t=s;for(;i(e[t]);)t++;let n=0;for(;n<=o&&"-?:".includes(e[t]||"x");){let r=e[t+1];if(!(i(r)||r===`
`||r==="\r"||r===void 0))break;for(n++,t++;i(e[t]);)t++}return n}function b(e,s){let o=[[e,0]];for(;o.length>0;){let[i,t]=o.pop();if(!(i===null||typeof i!="object")){if(t>=s)return!0;for(let n of Object.values(i))o.push([n,t+1])}}return!1}export{u as a,w as b,d as c,b as d};
