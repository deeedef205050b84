#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a}from"./chunk-FHXIMVPR.js";import"./chunk-3YTDS7E4.js";import"./chunk-ZKRTAVCG.js";import"./chunk-FE6XL7LF.js";import"./chunk-KUWP22M4.js";import"./chunk-HOJJRXMO.js";import"./chunk-EE3LSZEL.js";import"./chunk-SKTDDMYA.js";import"./chunk-L3SWUKLP.js";import"./chunk-NTCQVAQD.js";import"./chunk-3275XRNI.js";import"./chunk-RWO5X36K.js";import"./chunk-XBXYQOLN.js";import"./chunk-XU65TRL3.js";import"./chunk-Y3RWSZVK.js";export{a as readManifestFile};
