#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a as e,b as r}from"./chunk-Y3RWSZVK.js";var p=r((s,i)=>{i.exports=e("node:http")});var q=r((t,o)=>{o.exports=e("node:perf_hooks")});export{p as a,q as b};
