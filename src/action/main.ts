import * as core from '@actions/core'

/** The action: inputs → one validated settings object → the pipeline → outputs and summary. */
export async function run(): Promise<void> {
  core.setFailed('imagestream-action: not implemented yet')
}
