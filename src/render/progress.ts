import type {CollectProgress} from '../collect/run.js'

/**
 * A progress line on `stream` (stderr) for a collection: cells done / total, resources found, what is running.
 * Returns the event handler and a `stop` that clears the line and gives the terminal back its cursor and line
 * wrapping. `stop` also runs if the process exits first (a second Ctrl-C exits at once), so the terminal is
 * never left without them.
 */
export async function collectionProgress(stream: NodeJS.WriteStream = process.stderr): Promise<{onProgress: (event: CollectProgress) => void; stop: () => void}> {
  const {SingleBar} = await import('cli-progress')
  const bar = new SingleBar(
    {
      format: 'Collecting [{bar}] {value}/{total} cells · {resources} resources · {current}',
      hideCursor: true,
      stream,
      clearOnComplete: true,
      barsize: 24,
    },
  )
  let resources = 0
  const running = new Set<string>()
  const current = () => [...running].slice(-1)[0] ?? ''
  // Writes to a terminal are synchronous: what `stop` writes on exit reaches it.
  const stop = () => {
    process.off('exit', stop)
    bar.stop()
  }

  process.on('exit', stop)
  return {
    onProgress(event) {
      switch (event.kind) {
        case 'start': {
          bar.start(event.cells, 0, {resources, current: ''})
          break
        }

        case 'more': {
          bar.setTotal(bar.getTotal() + event.cells)
          break
        }

        case 'cell-start': {
          running.add(`${event.cell.region} ${event.cell.spec.type}`)
          bar.update({current: current()})
          break
        }

        case 'page': {
          resources += event.resources
          bar.update({resources})
          break
        }

        case 'cell-done': {
          running.delete(`${event.cell.region} ${event.cell.spec.type}`)
          bar.increment(1, {current: current(), resources})
          break
        }
      }
    },
    stop,
  }
}
