#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a as e,b as r}from"./chunk-D2YR4BHF.js";var s=r((a,i)=>{i.exports=e("node:util")});var t=r((b,o)=>{o.exports=e("node:http")});var u=r((c,p)=>{p.exports=e("node:perf_hooks")});var x=r((d,q)=>{q.exports=e("node:https")});export{t as a,s as b,u as c,x as d};
