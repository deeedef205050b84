#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{a as r,b as f}from"./chunks/chunk-3LHNFROT.js";import{H as i,M as a,O as o,Q as g,g as s,i as e}from"./chunks/chunk-XYNXD2GI.js";import"./chunks/chunk-CFF6Y4EO.js";async function p(){let t=e(r.target);if(!t||e(r.finished)==="true")return;let n=a(),c=i(process.env),m=g({kubeconfig:c("kubeconfig"),tlsInsecure:c("tls-insecure")==="true",clock:o,log:n});await f(m,o,n,JSON.parse(t))}p().catch(t=>s(`post step: ${t instanceof Error?t.message:String(t)}`));
