#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a}from"./chunk-OSKTREK5.js";import"./chunk-ZA6QSWKD.js";import"./chunk-APPCSGZQ.js";import"./chunk-GPO4LB6T.js";import"./chunk-3YTDS7E4.js";import"./chunk-ODUPGBOZ.js";import"./chunk-O5LCULY2.js";import"./chunk-FE6XL7LF.js";import"./chunk-L3SWUKLP.js";import"./chunk-RWO5X36K.js";import"./chunk-Y3RWSZVK.js";export{a as buildAndPush};
