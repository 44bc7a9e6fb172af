// Times iam-simulate's public `runSimulation` on a file of `iam-policy simulate` scenarios
// (identity, resource, SCP and RCP policies), used as a black box: prints the wall and CPU
// seconds per scenario of the pass, of three, with the least CPU time. Run by `benches/simulate.rs` with NODE_PATH set to the
// folder where `npm install @cloud-copilot/iam-simulate` was run.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(process.cwd() + '/')
const { runSimulation } = require('@cloud-copilot/iam-simulate')

const scenarios = JSON.parse(readFileSync(process.argv[2], 'utf8'))
const named = (policies, prefix) => policies.map((policy, i) => ({ name: `${prefix}${i}`, policy }))
const simulations = scenarios.map((s) => ({
  request: {
    action: s.request.action,
    principal: s.request.principal,
    resource: { resource: s.request.resource, accountId: s.request.resourceAccount },
    contextVariables: s.request.context ?? {}
  },
  identityPolicies: named(s.identityPolicies ?? [], 'identity'),
  serviceControlPolicies: (s.serviceControlPolicies ?? []).map((level, i) => ({
    orgIdentifier: `ou-${i}`,
    policies: named(level, 'scp')
  })),
  resourceControlPolicies: (s.resourceControlPolicies ?? []).map((level, i) => ({
    orgIdentifier: `ou-${i}`,
    policies: named(level, 'rcp')
  })),
  resourcePolicy: s.resourcePolicy
}))

// Wall and CPU (user + system) seconds per scenario, of the pass with the least CPU time.
let best = [Infinity, Infinity]
let errors = 0
for (let pass = 0; pass < 3; pass++) {
  const start = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  for (const simulation of simulations) {
    const response = await runSimulation(simulation, {})
    if (response.resultType === 'error') errors++
  }
  const used = process.cpuUsage(cpu)
  const wall = Number(process.hrtime.bigint() - start) / 1e9 / simulations.length
  const cpuSeconds = (used.user + used.system) / 1e6 / simulations.length
  if (cpuSeconds < best[1]) best = [wall, cpuSeconds]
}
if (errors > 0) console.error(`${errors / 3} scenarios were refused by runSimulation`)
console.log(`${best[0]} ${best[1]}`)
