#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-KUWP22M4.js";import"./chunk-HOJJRXMO.js";import"./chunk-EE3LSZEL.js";import"./chunk-SKTDDMYA.js";import"./chunk-L3SWUKLP.js";import"./chunk-NTCQVAQD.js";import"./chunk-3275XRNI.js";import"./chunk-RWO5X36K.js";import"./chunk-XBXYQOLN.js";import"./chunk-XU65TRL3.js";import"./chunk-Y3RWSZVK.js";export{c as MAX_ALIAS_COUNT,b as MAX_MANIFEST_BYTES,a as ManifestError,d as loadServiceManifest,e as servingContainer};
