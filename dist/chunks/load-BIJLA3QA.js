#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-Y6NMTBM5.js";import"./chunk-J3OUY5TM.js";import"./chunk-SKTDDMYA.js";import"./chunk-L3SWUKLP.js";import"./chunk-HOJJRXMO.js";import"./chunk-47AGEGQX.js";import"./chunk-XBXYQOLN.js";import"./chunk-NTCQVAQD.js";import"./chunk-XU65TRL3.js";import"./chunk-Y3RWSZVK.js";export{c as MAX_ALIAS_COUNT,b as MAX_MANIFEST_BYTES,a as ManifestError,d as loadServiceManifest,e as servingContainer};
