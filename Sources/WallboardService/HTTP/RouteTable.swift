import Hummingbird
import Synchronization

/// The router's paths and the methods each answers, taken once every route is added: a request for
/// a path that exists with another method gets 405 and `Allow` instead of 404.
final class RouteTable: Sendable {
    private let routes = Mutex<[(path: RouterPath, method: HTTPRequest.Method)]>([])

    func record(_ router: Router<WallboardRequestContext>) {
        let described = router.routes.map { (path: $0.path, method: $0.method) }
        routes.withLock { $0 = described }
    }

    /// The methods some route answers at `path`; nil when no route has that path.
    func methods(at path: String) -> Set<HTTPRequest.Method>? {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        let methods = routes.withLock { routes in
            routes.filter { route in
                route.path.count == components.count && zip(route.path, components).allSatisfy { element, component in element ~= component }
            }.map(\.method)
        }
        return methods.isEmpty ? nil : Set(methods)
    }
}
