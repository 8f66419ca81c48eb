import PluginKit

/// The binding operations, registered beside the other excel/* operations (kept in their own list so that
/// ExcelOpsPlugin.swift only names it).
let bindingOperations: [PluginDefinition.Operation] = [
    KeyBinding.singleKey, KeyBinding.multiKey, PositionalBind.operation, PositionalBind.preview,
]
