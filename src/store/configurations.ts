import type {Store} from './database.js'

/** Removes configuration documents no resource refers to any more. */
export function pruneConfigurations(store: Store): number {
  return store.sqlite
    .prepare(`delete from configurations where not exists (select 1 from resources r where r.config_hash = configurations.hash)`)
    .run().changes
}
