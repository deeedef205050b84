#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a}from"./chunk-A5R7XHRT.js";import"./chunk-6IXXYDQC.js";import"./chunk-L3SWUKLP.js";import"./chunk-JOIAJUWP.js";import"./chunk-GPP2MJGF.js";import"./chunk-4YYRXQ7R.js";import"./chunk-D2YR4BHF.js";export{a as buildAndPush};
