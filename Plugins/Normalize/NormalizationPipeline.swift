import PluginABI
import PluginKit

/// An item ready to run: its column (as an input index and a working slot) and its normaliser.
final class PreparedItem {
    let request: NormalizationItem
    let type: NormalizationType
    let column: Int
    let slot: Int
    let normalizer: ColumnNormalizer
    var prepared: Bool
    var before = ColumnStats()
    var after = ColumnStats()

    init(request: NormalizationItem, type: NormalizationType, column: Int, slot: Int, normalizer: ColumnNormalizer) {
        self.request = request
        self.type = type
        self.column = column
        self.slot = slot
        self.normalizer = normalizer
        prepared = !normalizer.needsFirstPass
    }
}

/// Runs the items in request order over streamed rows. Each row's normalised columns live in `work` (one slot per
/// distinct column), so an item sees the previous items' results (`trim_whitespace` then `title_case`).
///
/// Two-pass items are prepared by statistics passes first: a pass lets every unprepared item observe its column as
/// the items before it leave it, applying only what those observations depend on; an item whose input depends on
/// another unprepared item waits for the next pass. Usually that is one statistics pass plus the output pass.
struct NormalizationPipeline {
    enum Role { case skip, observe, apply }

    let items: [PreparedItem]
    let slotColumns: [Int]

    /// Statistics passes until every item is prepared.
    func prepare(_ input: InputTable, call: OperationCall, pass: (Int) -> Void) throws(OperationFailure) {
        var number = 0
        while items.contains(where: { !$0.prepared }) {
            let roles = planStatisticsPass()
            let needed = Set(items.indices.filter { roles[$0] != .skip }.map { items[$0].slot })
            try input.rewind()
            items.forEach { $0.normalizer.beginPass() }
            var work = [CellValue](repeating: .null, count: slotColumns.count)
            while true {
                let batch = try input.nextBatch()
                if batch.rowCount == 0 { break }
                rows: for r in 0..<batch.rowCount {
                    let row = batch.row(r)
                    for s in needed { work[s] = CellValue(row[slotColumns[s]]) }
                    for (i, item) in items.enumerated() {
                        switch roles[i] {
                        case .skip: continue
                        case .observe: item.normalizer.observe(work[item.slot])
                        case .apply:
                            if !item.normalizer.keepsRow(work[item.slot]) { continue rows }
                            work[item.slot] = try item.normalizer.apply(work[item.slot])
                        }
                    }
                }
                try call.checkCancelled()
            }
            for (i, item) in items.enumerated() where roles[i] == .observe {
                item.normalizer.finishFirstPass()
                item.prepared = true
            }
            number += 1
            pass(number)
        }
    }

    /// Which items observe in the next statistics pass, and which must be applied because an observer depends on
    /// them (same column before it, or a row filter before it).
    func planStatisticsPass() -> [Role] {
        var roles = [Role](repeating: .skip, count: items.count)
        var blocked = Set<Int>()
        var rowsUncertain = false
        for (i, item) in items.enumerated() {
            if rowsUncertain || blocked.contains(item.slot) {
                if item.normalizer is DuplicateRowFilter { rowsUncertain = true }
                continue
            }
            if !item.prepared {
                roles[i] = .observe
                blocked.insert(item.slot)
            } else {
                roles[i] = .apply
            }
        }
        // Keep only the applications some later observer depends on.
        var neededSlots = Set<Int>()
        var filterNeeded = false
        for i in items.indices.reversed() {
            switch roles[i] {
            case .observe:
                neededSlots.insert(items[i].slot)
                filterNeeded = true
            case .apply:
                let isFilter = items[i].normalizer is DuplicateRowFilter
                if isFilter && filterNeeded { neededSlots.insert(items[i].slot) } else if !neededSlots.contains(items[i].slot) {
                    roles[i] = .skip
                }
            case .skip: break
            }
        }
        return roles
    }

    /// Applies every item to the row in `work`; false when a row filter drops it. Gathers report statistics when
    /// asked.
    func run(_ work: inout [CellValue], stats: Bool) throws(OperationFailure) -> Bool {
        for item in items {
            let value = work[item.slot]
            guard item.normalizer.keepsRow(value) else { return false }
            if stats { item.before.observe(value) }
            let result = try item.normalizer.apply(value)
            if stats { item.after.observe(result) }
            work[item.slot] = result
        }
        return true
    }
}
