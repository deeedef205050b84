#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a,b,c,d,e,f}from"./chunk-GM5JSRX3.js";import"./chunk-VRY2Z7AT.js";import"./chunk-L3SWUKLP.js";import"./chunk-EGQ2VRHY.js";import"./chunk-WEIQECBC.js";import"./chunk-D2YR4BHF.js";export{c as MAX_ALIAS_COUNT,b as MAX_MANIFEST_BYTES,d as MAX_YAML_DEPTH,a as ManifestError,e as loadServiceManifest,f as servingContainer};
