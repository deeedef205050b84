#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a}from"./chunk-WN3DYVPR.js";import"./chunk-EBUJRS3X.js";import"./chunk-GPO4LB6T.js";import"./chunk-L3SWUKLP.js";import"./chunk-ODUPGBOZ.js";import"./chunk-O342Q5GC.js";import"./chunk-O5LCULY2.js";import"./chunk-3YTDS7E4.js";import"./chunk-RWO5X36K.js";import"./chunk-FE6XL7LF.js";import"./chunk-Y3RWSZVK.js";export{a as buildAndPush};
