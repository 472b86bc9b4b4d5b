extension Instance {
    /// Compiles function `index` of the function index space to its entry node.
    func compileFunction(_ index: Int) throws(Trap) -> NodeP {
        throw .unsupported
    }
}
