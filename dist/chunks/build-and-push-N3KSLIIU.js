#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a}from"./chunk-DTHJ3IX6.js";import"./chunk-MO6QXKKU.js";import"./chunk-RWO5X36K.js";import"./chunk-ODUPGBOZ.js";import"./chunk-L3SWUKLP.js";import"./chunk-O342Q5GC.js";import"./chunk-O5LCULY2.js";import"./chunk-ZQKDO4XI.js";import"./chunk-Y3RWSZVK.js";export{a as buildAndPush};
