package live

import (
	"fmt"
	"net/url"
	"strings"
)

// Trading modes.
const (
	ModeDry   = "dry"   // print the orders that would be sent; send nothing
	ModePaper = "paper" // a paper account (or the paper broker)
	ModeLive  = "live"  // real money
)

// Alpaca's trading endpoints.
const (
	AlpacaPaperURL = "https://paper-api.alpaca.markets"
	AlpacaLiveURL  = "https://api.alpaca.markets"
)

// Target is where a run would trade, as asked on the command line.
type Target struct {
	Mode      string // dry, paper, live
	Broker    string // paper, alpaca, ibkr
	BaseURL   string // the broker's trading URL ("" for the paper broker)
	Account   string // the account id asked for (--account)
	Confirmed bool   // --live given
}

// CheckTarget refuses a run whose mode, URL and account disagree: live
// needs --live and an account id, and refuses a paper URL, the paper broker
// or a paper account (IBKR paper ids start "DU"); paper refuses a live URL
// and a live IBKR account. The account the broker reports (got, "" before
// connecting) must be the one asked for.
func CheckTarget(t Target, got string, gotPaper bool) error {
	switch t.Mode {
	case ModeDry, ModePaper, ModeLive:
	default:
		return fmt.Errorf("live: --mode %q: want dry, paper or live", t.Mode)
	}
	paperURL := isPaperURL(t.BaseURL)
	switch t.Mode {
	case ModeLive:
		switch {
		case !t.Confirmed:
			return fmt.Errorf("live: --mode live trades real money: add --live to confirm")
		case t.Account == "":
			return fmt.Errorf("live: --mode live needs --account with the account id to trade")
		case t.Broker == "paper":
			return fmt.Errorf("live: --mode live with the paper broker: choose --broker alpaca or ibkr")
		case paperURL:
			return fmt.Errorf("live: --mode live refuses the paper URL %s", t.BaseURL)
		case t.Broker == "ibkr" && strings.HasPrefix(strings.ToUpper(t.Account), "DU"):
			return fmt.Errorf("live: --mode live refuses the IBKR paper account %s (ids starting DU are paper)", t.Account)
		}
	case ModePaper:
		switch {
		case t.Confirmed:
			return fmt.Errorf("live: --live given with --mode paper: say --mode live to trade real money")
		case t.Broker == "alpaca" && !paperURL:
			return fmt.Errorf("live: --mode paper refuses the live URL %s (paper is %s)", t.BaseURL, AlpacaPaperURL)
		case t.Broker == "ibkr" && t.Account != "" && !strings.HasPrefix(strings.ToUpper(t.Account), "DU"):
			return fmt.Errorf("live: --mode paper refuses the IBKR live account %s (paper ids start DU)", t.Account)
		}
	}
	if got != "" {
		if t.Account != "" && !strings.EqualFold(got, t.Account) {
			return fmt.Errorf("live: the broker reports account %s, not the --account %s asked for", got, t.Account)
		}
		if t.Mode == ModeLive && gotPaper {
			return fmt.Errorf("live: --mode live, but the broker says account %s is a paper account", got)
		}
		if t.Mode == ModePaper && !gotPaper && t.Broker != "paper" {
			return fmt.Errorf("live: --mode paper, but the broker says account %s is a live account", got)
		}
	}
	return nil
}

// isPaperURL reports whether u is a broker paper endpoint (Alpaca's
// paper-api host).
func isPaperURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	return strings.HasPrefix(p.Hostname(), "paper-api.")
}
