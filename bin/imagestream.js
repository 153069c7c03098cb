#!/usr/bin/env node
// The `imagestream` CLI: the bundled build in dist/ (committed), so `npx imagestream` works from a clone.
import '../dist/cli.js'
