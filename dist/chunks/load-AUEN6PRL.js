#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-R2TV6M2T.js";import"./chunk-4W7ECRP6.js";import"./chunk-SKTDDMYA.js";import"./chunk-L3SWUKLP.js";import"./chunk-HOJJRXMO.js";import"./chunk-47AGEGQX.js";import"./chunk-XBXYQOLN.js";import"./chunk-IH5KV42Q.js";import"./chunk-Y3RWSZVK.js";export{c as MAX_ALIAS_COUNT,b as MAX_MANIFEST_BYTES,a as ManifestError,d as loadServiceManifest,e as servingContainer};
