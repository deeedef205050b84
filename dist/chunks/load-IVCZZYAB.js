#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-SCZHWEQF.js";import"./chunk-4F5BAYWP.js";import"./chunk-SKTDDMYA.js";import"./chunk-L3SWUKLP.js";import"./chunk-RPHZOX7U.js";import"./chunk-XBXYQOLN.js";import"./chunk-X5GLAR4Q.js";import"./chunk-D2YR4BHF.js";export{c as MAX_ALIAS_COUNT,b as MAX_MANIFEST_BYTES,a as ManifestError,d as loadServiceManifest,e as servingContainer};
