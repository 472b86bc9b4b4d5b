import SwvmCore
