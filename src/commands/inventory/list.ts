import {BaseCommand, formatFlag} from '../../base-command.js'
import {type OutputFormat, printRendered, renderRows} from '../../render/format.js'
import {type InventorySummary, listInventories} from '../../store/inventories.js'

const filterText = (tags: Record<string, string>) =>
  Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')

export default class InventoryList extends BaseCommand<typeof InventoryList> {
  static override summary = 'List inventories with their filters, snapshot counts and active snapshot.'
  static override storeAccess = 'read' as const
  static override flags = {format: formatFlag}

  async run(): Promise<InventorySummary[]> {
    const inventories = listInventories(this.openStore())
    if (!this.jsonEnabled()) {
      const format = this.flags.format as OutputFormat
      printRendered(
        renderRows(
          inventories,
          [
            {header: 'Name', value: (i) => i.name},
            {header: 'Include tags', value: (i) => filterText(i.includeTags)},
            {header: 'Exclude tags', value: (i) => filterText(i.excludeTags)},
            {header: 'Snapshots', value: (i) => i.snapshotCount},
            {header: 'Active snapshot', value: (i) => i.activeSnapshot},
            {header: 'Description', value: (i) => i.description},
          ],
          format,
        ),
        format,
      )
    }

    return inventories
  }
}
