import SwvmCore
print("swvm")
