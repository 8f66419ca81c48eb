import Hummingbird

/// Registers routes and, for each path, answers the methods it does not serve with a JSON 405 (the original
/// answered those with an HTML page).
struct RouteTable<Context: RequestContext> {
    let router: Router<Context>
    private var methodsByPath: [String: Set<String>] = [:]
    private var order: [String] = []

    init(router: Router<Context>) { self.router = router }

    mutating func add(_ method: HTTPRequest.Method, _ path: String,
                      _ handler: @escaping @Sendable (Request, Context) async throws -> Response) {
        router.on(RouterPath(path), method: method, use: handler)
        if methodsByPath[path] == nil { order.append(path) }
        methodsByPath[path, default: []].insert(method.rawValue)
    }

    /// Adds the 405 responders; call once after every route is registered.
    func finish() {
        let all: [HTTPRequest.Method] = [.get, .post, .put, .delete, .patch]
        for path in order {
            let served = methodsByPath[path] ?? []
            let allow = served.sorted().joined(separator: ", ")
            for m in all where !served.contains(m.rawValue) && !(m == .head && served.contains("GET")) {
                router.on(RouterPath(path), method: m) { _, _ -> Response in
                    throw APIError(.methodNotAllowed, "The method is not allowed for the requested URL. Allowed: \(allow)",
                                   frameworkLevel: true)
                }
            }
        }
    }
}
