#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a}from"./chunk-4V2KK3WN.js";import"./chunk-ZT2V456C.js";import"./chunk-RWO5X36K.js";import"./chunk-ODUPGBOZ.js";import"./chunk-L3SWUKLP.js";import"./chunk-O342Q5GC.js";import"./chunk-3YTDS7E4.js";import"./chunk-O5LCULY2.js";import"./chunk-FE6XL7LF.js";import"./chunk-Y3RWSZVK.js";export{a as buildAndPush};
