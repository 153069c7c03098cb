/**
 * The shape of an ImageStream as Go serializes it: field order (the struct order of openshift/api image/v1/types.go
 * and k8s.io/apimachinery ObjectMeta, which is what `encoding/json` emits), which lists are keyed by which field
 * (the patch merge keys), and which fields are `omitempty`. The writer uses it to place new keys where a person
 * (or OpenShift) would expect them and to match list items across an edit.
 */

export interface Shape {
  /** Object fields in Go struct order. Absent for free-form maps (annotations, labels). */
  fields?: Record<string, Shape>
  /** A map from string to string: Go writes its keys sorted. */
  freeMap?: boolean
  /** For lists: the element shape. */
  items?: Shape
  /** For lists of objects: the field that identifies an element (x-kubernetes-patch-merge-key). */
  key?: string
  /** For lists without a key: fields that together say "the same element" even when other fields changed. */
  identity?: string[]
  /** `omitempty` on a map or slice: an empty one is the same as none. */
  omitEmpty?: boolean
}

const free: Shape = { freeMap: true, omitEmpty: true }
const scalar: Shape = {}

const objectReference: Shape = {
  fields: {
    kind: scalar,
    namespace: scalar,
    name: scalar,
    uid: scalar,
    apiVersion: scalar,
    resourceVersion: scalar,
    fieldPath: scalar
  }
}

const tagReference: Shape = {
  fields: {
    name: scalar,
    annotations: { freeMap: true },
    from: objectReference,
    reference: scalar,
    generation: scalar,
    importPolicy: { fields: { insecure: scalar, scheduled: scalar, importMode: scalar } },
    referencePolicy: { fields: { type: scalar } }
  }
}

const tagEvent: Shape = {
  fields: { created: scalar, dockerImageReference: scalar, image: scalar, generation: scalar }
}

const tagEventCondition: Shape = {
  fields: {
    type: scalar,
    status: scalar,
    lastTransitionTime: scalar,
    reason: scalar,
    message: scalar,
    generation: scalar
  }
}

const objectMeta: Shape = {
  fields: {
    name: scalar,
    generateName: scalar,
    namespace: scalar,
    selfLink: scalar,
    uid: scalar,
    resourceVersion: scalar,
    generation: scalar,
    creationTimestamp: scalar,
    deletionTimestamp: scalar,
    deletionGracePeriodSeconds: scalar,
    labels: free,
    annotations: free,
    ownerReferences: {
      omitEmpty: true,
      key: 'uid',
      items: {
        fields: {
          apiVersion: scalar,
          kind: scalar,
          name: scalar,
          uid: scalar,
          controller: scalar,
          blockOwnerDeletion: scalar
        }
      }
    },
    finalizers: { omitEmpty: true, items: scalar },
    managedFields: { omitEmpty: true, items: scalar }
  }
}

export const imageStreamShape: Shape = {
  fields: {
    apiVersion: scalar,
    kind: scalar,
    metadata: objectMeta,
    spec: {
      fields: {
        lookupPolicy: { fields: { local: scalar } },
        dockerImageRepository: scalar,
        tags: { omitEmpty: true, key: 'name', items: tagReference }
      }
    },
    status: {
      fields: {
        dockerImageRepository: scalar,
        publicDockerImageRepository: scalar,
        tags: {
          omitEmpty: true,
          key: 'tag',
          items: {
            fields: {
              tag: scalar,
              // Not a merge key upstream, but a tag's history is newest-first and an image seldom repeats:
              // matching by (reference, image) turns "same image, newer generation" into an in-place edit.
              items: { items: tagEvent, identity: ['dockerImageReference', 'image'] },
              conditions: { omitEmpty: true, key: 'type', items: tagEventCondition }
            }
          }
        }
      }
    }
  }
}

export function fieldShape(shape: Shape | undefined, key: string): Shape | undefined {
  return shape?.fields?.[key]
}

/** Orders an object's keys as Go would write them: struct order, then sorted map keys, then unknown keys as given. */
export function orderedKeys(value: Record<string, unknown>, shape: Shape | undefined): string[] {
  const keys = Object.keys(value).filter((k) => value[k] !== undefined)
  if (shape?.freeMap) return keys.sort(compareKeys)
  const order = shape?.fields ? Object.keys(shape.fields) : []
  const known = order.filter((k) => keys.includes(k))
  return [...known, ...keys.filter((k) => !order.includes(k))]
}

/** Byte order, like Go's sort.Strings on map keys. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Whether existing keys are in alphabetical order rather than struct order (`oc get -o yaml` sorts keys, since
 * it goes through a map). Keys that fit both orders count as struct order.
 */
export function isAlphabeticalOrder(keys: string[], shape: Shape | undefined): boolean {
  if (shape?.freeMap) return true
  if (keys.length < 2 || !keys.every((k, i) => i === 0 || compareKeys(keys[i - 1], k) < 0)) return false
  const order = shape?.fields ? Object.keys(shape.fields) : []
  const rank = (k: string) => (order.includes(k) ? order.indexOf(k) : Number.POSITIVE_INFINITY)
  return !keys.every((k, i) => i === 0 || rank(keys[i - 1]) <= rank(k))
}
