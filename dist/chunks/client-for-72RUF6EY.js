#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{b as a}from"./chunk-N7DGXWL4.js";import"./chunk-I3G6OTTN.js";import"./chunk-SWNCDQVJ.js";import"./chunk-X7OSZTJ6.js";import"./chunk-ZKRTAVCG.js";import"./chunk-FE6XL7LF.js";import"./chunk-NTCQVAQD.js";import"./chunk-3275XRNI.js";import"./chunk-RWO5X36K.js";import"./chunk-XBXYQOLN.js";import"./chunk-XU65TRL3.js";import"./chunk-Y3RWSZVK.js";export{a as clientFor};
