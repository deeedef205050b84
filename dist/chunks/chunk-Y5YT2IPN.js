#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a as s}from"./chunk-RPHZOX7U.js";import{b as i}from"./chunk-X5GLAR4Q.js";import{c}from"./chunk-D2YR4BHF.js";var p=c(i(),1);var u=64;function h(t,n){let r;try{r=(0,p.parse)(t,{maxAliasCount:10,prettyErrors:!0})}catch(e){throw new Error(`${n}: not valid YAML: ${s(e.message.split(`
`)[0],300)}`,{cause:e})}if(l(r,u))throw new Error(`${n}: nests deeper than ${u} levels; refusing it`);return r}function l(t,n){let r=[[t,0]];for(;r.length>0;){let[e,o]=r.pop();if(!(e===null||typeof e!="object")){if(o>=n)return!0;for(let a of Object.values(e))r.push([a,o+1])}}return!1}export{u as a,h as b,l as c};
