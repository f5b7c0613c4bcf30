package dbn_test

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/optsweep/sweep/ingest/dbn"
)

// Example writes two consolidated quotes as DBN version 1 and reads them back
// in the version 3 form, printing the top of the book.
func Example() {
	var file bytes.Buffer
	md := &dbn.Metadata{Version: 1, Dataset: "OPRA.PILLAR", Schema: dbn.SchemaCbbo1M,
		End: dbn.UndefTimestamp, StypeIn: dbn.STypeRawSymbol, StypeOut: dbn.STypeInstrumentID}
	enc, err := dbn.NewEncoder(&file, md)
	if err != nil {
		log.Fatal(err)
	}
	quotes := []dbn.CbboMsg{
		{Hd: dbn.RecordHeader{InstrumentID: 16783963}, TsRecv: 1740061860000000000,
			Levels: [1]dbn.ConsolidatedBidAskPair{{BidPx: 320_000_000, AskPx: 340_000_000, BidSz: 104, AskSz: 132}}},
		{Hd: dbn.RecordHeader{InstrumentID: 16783963}, TsRecv: 1740061920000000000,
			Levels: [1]dbn.ConsolidatedBidAskPair{{BidPx: dbn.UndefPrice, AskPx: 450_000_000, AskSz: 135}}},
	}
	for i := range quotes {
		if err := enc.Encode(&quotes[i]); err != nil { // the rtype comes from the schema
			log.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		log.Fatal(err)
	}

	dec, err := dbn.NewDecoder(&file)
	if err != nil {
		log.Fatal(err)
	}
	defer dec.Close()
	fmt.Println(dec.Metadata().Dataset, dec.Metadata().Schema, "version", dec.Metadata().Version)
	for {
		rec, err := dec.Next() // owned by dec: valid until the next call
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
		q := rec.(dbn.TopOfBook)
		bid, ask, _, _ := q.Top()
		bidText := "none"
		if bid != dbn.UndefPrice {
			bidText = dbn.FormatPrice(bid)
		}
		fmt.Println(rec.Header().RType, rec.Header().InstrumentID, bidText, dbn.FormatPrice(ask))
	}
	// Output:
	// OPRA.PILLAR cbbo-1m version 1
	// cbbo-1m 16783963 0.32 0.34
	// cbbo-1m 16783963 none 0.45
}

// ExampleWriteRecordJSON prints a bar as JSON: prices are exact decimal
// strings, and 64-bit integers are strings too.
func ExampleWriteRecordJSON() {
	bar := &dbn.OhlcvMsg{
		Hd:   dbn.RecordHeader{RType: dbn.RTypeOhlcv1D, PublisherID: 30, InstrumentID: 16783963, TsEvent: 1740009600000000000},
		Open: 350_000_000, High: 450_000_000, Low: 320_000_000, Close: 340_000_000, Volume: 3474,
	}
	if err := dbn.WriteRecordJSON(os.Stdout, bar); err != nil {
		log.Fatal(err)
	}
	// Output:
	// {"hd":{"ts_event":"1740009600000000000","rtype":"ohlcv-1d","publisher_id":30,"instrument_id":16783963},"open":"0.35","high":"0.45","low":"0.32","close":"0.34","volume":"3474"}
}
