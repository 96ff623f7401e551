//go:build !unix

package storetest

import "time"

// processCPU returns 0: the CPU time is not read on this platform.
func processCPU() time.Duration { return 0 }
