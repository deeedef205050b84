#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a as r,b as i}from"./chunk-Y3RWSZVK.js";var o=i((p,e)=>{e.exports=r("node:module")});export{o as a};
