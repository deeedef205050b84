#!/usr/bin/env node
import { createRequire as __createRequire } from 'node:module';
const require = __createRequire(import.meta.url);
import{c as L}from"./chunks/chunk-K6BLSWOR.js";import{a as k}from"./chunks/chunk-FMFJOAJQ.js";import{a as C,b as I}from"./chunks/chunk-QLFYZ6OT.js";import{f as S,g as y,h as x,j as E}from"./chunks/chunk-WPHU22W4.js";import{i as m}from"./chunks/chunk-CGRLLZKY.js";import{c as T}from"./chunks/chunk-RWO5X36K.js";import{a as _}from"./chunks/chunk-E5DHLROQ.js";import{a as d}from"./chunks/chunk-G7UO3SO3.js";import"./chunks/chunk-5P6NLEJ4.js";import{a as V}from"./chunks/chunk-M5QPI6FK.js";import"./chunks/chunk-4F5BAYWP.js";import"./chunks/chunk-L3SWUKLP.js";import"./chunks/chunk-O342Q5GC.js";import"./chunks/chunk-JOIAJUWP.js";import{b as v}from"./chunks/chunk-RPHZOX7U.js";import"./chunks/chunk-XBXYQOLN.js";import"./chunks/chunk-X5GLAR4Q.js";import"./chunks/chunk-QQNUB54V.js";import"./chunks/chunk-GPP2MJGF.js";import"./chunks/chunk-ZZBB6BWV.js";import{a as G,b as F,c as g}from"./chunks/chunk-D2YR4BHF.js";var N=F((j,O)=>{O.exports=G("node:module")});var P=g(_(),1),p=g(V(),1),M=g(N(),1);function A(s={}){let r=s.write??(e=>process.stderr.write(e+`
`)),n=s.secrets??[],i=(e,t)=>r(v(T(e+t,n)));return{debug:e=>{s.verbose&&i("debug: ",e)},info:e=>i("",e),warn:e=>i("warning: ",e),error:e=>i("error: ",e),async group(e,t){return i("== ",e),t()}}}var q=`Usage: knative-rollout <command> [--<input> <value> ...]

Commands: ${x.join(", ")}
  rollout   create a candidate revision at 0%, step its traffic while probing it, then promote or roll back
  promote   continue a paused rollout (with analysis), to 100%
  abort     put a paused rollout's traffic back on the current revision
  status    print the rollout state kept on the Service
  preview   create the candidate at 0%, reachable on its tag URL only

Inputs are the action's (action.yml), as flags: --service shop --image ghcr.io/acme/shop:1.2
--steps 10,25,50,100 --step-interval 30s --pause-at 25 --dry-run --wait-for-lock ...
The cluster comes from --kubeconfig (a file or its content), else KUBECONFIG or ~/.kube/config.

Exit status: 0 promoted, paused, aborted, unchanged, status; 1 rolled back or failed; 2 bad usage.
Outputs are printed to stdout as one JSON line.`;function B(s){let r=new Map,n,i=!1;for(let e=0;e<s.length;e++){let t=s[e];if(t==="--help"||t==="-h")i=!0;else if(t.startsWith("--")){let c=t.indexOf("="),a=c>0?t.slice(2,c):t.slice(2);if(!S.includes(a)||a==="command")throw new m([`--${a}: not an input; see --help`]);c>0?r.set(a,t.slice(c+1)):e+1<s.length&&!s[e+1].startsWith("--")?r.set(a,s[++e]):r.set(a,"true")}else if(n===void 0)n=t;else throw new m([`unexpected argument "${t}"; see --help`])}return{command:n,flags:r,help:i}}async function J(s,r=process.env){let n;try{n=B(s)}catch(o){return process.stderr.write(`${o.message}
`),2}if(n.help||!n.command)return process.stdout.write(q+`
`),n.help?0:2;let i=o=>{if(o==="command")return n.command;let l=n.flags.get(o);return o==="kubeconfig"&&l&&!l.includes(`
`)&&(0,p.existsSync)(l)?(0,p.readFileSync)(l,"utf8"):l},e=y(i,r),t;try{t=E(i)}catch(o){return process.stderr.write(`${o.message}
`),2}let c=A({secrets:e,verbose:r.KNATIVE_ROLLOUT_VERBOSE==="1"}),a=L(o=>process.stderr.write(o+`
`),e),f=new AbortController,h=o=>()=>f.abort(new Error(`${o} received`));process.once("SIGINT",h("SIGINT")),process.once("SIGTERM",h("SIGTERM"));let w=t.build,R=w?async()=>{let[{buildAndPush:o},{spawnCommand:l}]=await Promise.all([import("./chunks/build-and-push-62GG6HOQ.js"),import("./chunks/command-I6LQPQWU.js")]),b=await o(w,{run:l,clock:d,log:$=>c.info($),env:r});return{image:b.image,digest:b.digest}}:void 0,{run:U}=await import("./chunks/run-CODEHJYL.js"),u=await U(t,{clock:d,log:c,env:r,signal:f.signal,build:R,onSecret:o=>e.push(o),onStep:a.step});return a.result(u),u.reason||c.info(u.message),process.stdout.write(I(C(u))+`
`),k(u)}function K(s){M.default.enableCompileCache?.(),J(s).then(r=>{process.exitCode=r},r=>{process.stderr.write(`${r instanceof Error?r.message:String(r)}
`),process.exitCode=1})}var W=process.argv[1]&&(0,P.pathToFileURL)((0,p.realpathSync)(process.argv[1])).href===import.meta.url;W&&K(process.argv.slice(2));export{q as USAGE,J as cli,B as parseArgs,K as runCli};
