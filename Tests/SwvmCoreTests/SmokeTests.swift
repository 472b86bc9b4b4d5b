import Testing
@testable import SwvmCore

@Test func valueTypesRoundTrip() {
    #expect(ValueType.i32.encoding == [0x7F])
}
