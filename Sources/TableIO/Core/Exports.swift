/// The cell types, date and number formatting live in `PycelizeCore` so that plugins (through PluginKit) and the
/// engine share one definition; everything that imports TableIO sees them as before.
@_exported import PycelizeCore
