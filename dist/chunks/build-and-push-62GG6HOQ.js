#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a}from"./chunk-PXC4DLTL.js";import"./chunk-CGRLLZKY.js";import"./chunk-RWO5X36K.js";import"./chunk-4YYRXQ7R.js";import"./chunk-L3SWUKLP.js";import"./chunk-O342Q5GC.js";import"./chunk-JOIAJUWP.js";import"./chunk-GPP2MJGF.js";import"./chunk-D2YR4BHF.js";export{a as buildAndPush};
