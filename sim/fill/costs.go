package fill

// Costs are the per-contract transaction costs of the wheel backtester (seed
// get_transaction_costs): a broker commission and the regulatory fees (SEC and FINRA
// TAF) charged on every contract of every order.
type Costs struct {
	// CommissionPerContract is the broker's commission, dollars per contract.
	CommissionPerContract float64
	// FeePerContract is the regulatory fee, dollars per contract.
	FeePerContract float64
}

// DefaultCosts returns the seed's costs: 0.65 commission and 0.01 fees per contract,
// 0.66 per contract per side.
func DefaultCosts() Costs {
	return Costs{CommissionPerContract: 0.65, FeePerContract: 0.01}
}

// Leg returns the cost in dollars of one side (opening or closing) of one leg of
// |contracts| contracts:
//
//	(CommissionPerContract + FeePerContract) · |contracts|
//
// A position closed by an order pays Leg twice (the seed's round trip); one that
// expires worthless or is assigned or exercised pays only the opening Leg: nothing is
// charged on expiry or assignment (the seed's is_round_trip=False). Stock delivered by
// assignment is not charged either.
func (c Costs) Leg(contracts int) float64 {
	if contracts < 0 {
		contracts = -contracts
	}
	return (c.CommissionPerContract + c.FeePerContract) * float64(contracts)
}
