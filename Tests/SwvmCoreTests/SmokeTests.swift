import Testing
@testable import SwvmCore

@Test func valueTypesRoundTrip() {
    #expect(ValueType(rawValue: 0x7F) == .i32)
}
