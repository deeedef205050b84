#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a as e,b as r}from"./chunk-Y3RWSZVK.js";var q=r((u,i)=>{i.exports=e("node:http")});var s=r((x,o)=>{o.exports=e("node:perf_hooks")});var t=r((a,p)=>{p.exports=e("node:https")});export{q as a,s as b,t as c};
