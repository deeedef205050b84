#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a}from"./chunk-NTCQVAQD.js";import{a as l}from"./chunk-3275XRNI.js";import{d as p}from"./chunk-Y3RWSZVK.js";var f=p(a(),1);var i=64;function m(e,s){if(c(e,i))throw new Error(u(s));let o;try{o=(0,f.parse)(e,{maxAliasCount:10,prettyErrors:!0})}catch(n){throw new Error(`${s}: not valid YAML: ${l(n.message.split(`
`)[0],300)}`,{cause:n})}if(h(o,i))throw new Error(u(s));return o}var u=e=>`${e}: nests deeper than ${i} levels; refusing it`;function c(e,s){let o=0,n;for(let r=0;r<e.length;r++){let t=e[r];if(n)t==="\\"&&n==='"'?r++:t===n&&(n=void 0);else if(t==='"'||t==="'")n=t;else if(t==="#"&&(r===0||/\s/.test(e[r-1])))for(;r<e.length&&e[r]!==`
`;)r++;else if(t==="["||t==="{"){if(++o>s)return!0}else(t==="]"||t==="}")&&(o=Math.max(0,o-1))}return!1}function h(e,s){let o=[[e,0]];for(;o.length>0;){let[n,r]=o.pop();if(!(n===null||typeof n!="object")){if(r>=s)return!0;for(let t of Object.values(n))o.push([t,r+1])}}return!1}export{i as a,m as b,c,h as d};
