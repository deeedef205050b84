#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{k as a,l as b}from"./chunk-V54NDFWW.js";import"./chunk-SWNCDQVJ.js";import"./chunk-VXGNNW75.js";import"./chunk-X7OSZTJ6.js";import"./chunk-ODUPGBOZ.js";import"./chunk-MFUOTAMA.js";import"./chunk-3MFRUUY7.js";import"./chunk-ZKRTAVCG.js";import"./chunk-FE6XL7LF.js";import"./chunk-WGMPI4NK.js";import"./chunk-47AGEGQX.js";import"./chunk-XBXYQOLN.js";import"./chunk-XU65TRL3.js";import"./chunk-Y3RWSZVK.js";export{a as FIELD_MANAGER,b as createServingClient};
