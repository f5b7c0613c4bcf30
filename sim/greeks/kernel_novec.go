//go:build !goexperiment.simd || !amd64

package greeks

// runEuropean values the lanes as runEuropeanScalar does; this build has no vector
// kernel.
func runEuropean(lanes []euroLane, exps []laneExpiry, r float64, res []laneOut) {
	runEuropeanScalar(lanes, exps, r, res)
}

// vectorKernel reports whether runEuropean uses the vector kernel: never in this build.
func vectorKernel() bool { return false }
