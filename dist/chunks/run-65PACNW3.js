#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a}from"./chunk-2P5AJMAU.js";import"./chunk-Z4TJEKSQ.js";import"./chunk-FMFJOAJQ.js";import"./chunk-NO3YIFFZ.js";import"./chunk-6IXXYDQC.js";import"./chunk-5PF774ET.js";import"./chunk-RNLSO537.js";import"./chunk-GM5JSRX3.js";import"./chunk-VRY2Z7AT.js";import"./chunk-L3SWUKLP.js";import"./chunk-JOIAJUWP.js";import"./chunk-3SXJXQOK.js";import"./chunk-GPP2MJGF.js";import"./chunk-ZZBB6BWV.js";import"./chunk-57NNTPTB.js";import"./chunk-LIUTEB7K.js";import"./chunk-X7OSZTJ6.js";import"./chunk-4YYRXQ7R.js";import"./chunk-EGQ2VRHY.js";import"./chunk-WEIQECBC.js";import"./chunk-D2YR4BHF.js";export{a as run};
