#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
function t(n){let e=Math.max(120,Math.ceil(2*n/1e3)+30);return{intervalMs:n,batchMs:Math.max(1e3,Math.round(n/5)),maxStepMs:n*3,leaseSeconds:e,renewEveryMs:e*1e3/3}}function m(n,e){for(let r of[n.intervalMs,n.maxStepMs])if(e<r)return Math.max(1,Math.min(n.batchMs,r-e));return n.batchMs}function M(n,e){return{minMs:n*e,maxMs:n*e*3}}export{t as a,m as b,M as c};
