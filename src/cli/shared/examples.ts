/** Examples printed under each verb's --help, keyed by the verb's full name (`set triggers`). */
export const EXAMPLES: Record<string, string[]> = {
  create: ['imagestream create web', 'imagestream create web -n shop'],
  get: [
    'imagestream get is',
    'imagestream get istag web:latest',
    'imagestream get is web -o yaml',
    "imagestream get istag -o jsonpath='{.items[*].metadata.name}'"
  ],
  describe: ['imagestream describe web', 'imagestream describe is web'],
  history: ['imagestream history web:latest', 'imagestream history web:latest -o json'],
  tag: [
    'imagestream tag quay.io/acme/web:1.4 web:1.4 --scheduled',
    'imagestream tag web:1.4 web:stable',
    'imagestream tag --alias web:1.4 web:latest',
    'imagestream tag -d web:old'
  ],
  rollback: ['imagestream rollback web:stable --to-generation 3', 'imagestream rollback web:stable --to sha256:4c1e'],
  resume: ['imagestream resume web:stable'],
  'set policy': [
    "imagestream set policy web:stable --policy 'semver:^1.4'",
    "imagestream set policy web:main --filter '^main-[a-f0-9]+-(?<ts>\\d+)$' --extract '$ts' --policy numerical:asc",
    'imagestream set policy web:stable --min-age 3d --require-platforms linux/amd64,linux/arm64'
  ],
  explain: ['imagestream explain web:stable', 'imagestream explain web:stable -o json'],
  plan: ['imagestream plan --shards 8', "imagestream plan --shards 16 --manifests 'deploy/**/*.yaml'"],
  'set triggers': [
    'imagestream set triggers deployment/web -f deploy/web.yaml --from-image web:stable -c web',
    'imagestream set triggers deployment/web -f deploy/web.yaml --from-image web:stable --remove'
  ],
  import: ['imagestream import', 'imagestream import --dry-run'],
  'apply-triggers': ['imagestream apply-triggers', 'imagestream apply-triggers --dry-run'],
  sync: [
    'imagestream sync',
    'imagestream sync --all --commit',
    'imagestream -C gitops sync --commit --message "{streams}"'
  ],
  'import-image': [
    'imagestream import-image web:1.4 --from quay.io/acme/web:1.4 --confirm',
    'imagestream import-image web --from quay.io/acme/web --all --confirm'
  ],
  resolve: ['imagestream resolve quay.io/acme/web:1.4', 'imagestream resolve docker.io/library/nginx:1.27 -o json']
}
