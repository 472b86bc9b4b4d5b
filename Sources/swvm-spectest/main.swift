import SwvmCore
print("swvm-spectest")
