package chembed

import (
	"strconv"
	"strings"

	"github.com/ClickHouse/ch-go/proto"
)

// handshakeSQL is what clickhouse-go sends first over HTTP. It decodes the
// answer at the revision it announced in client_protocol_version, and every
// later result at the revision() the answer reports. chDB writes Native at
// revision 0 (no BlockInfo, no serialization-kind byte), so the answer is
// encoded here at the client's revision and reports revision 0: chDB's
// Native output then passes through byte for byte.
const handshakeSQL = "SELECT displayName(), version(), revision(), timezone()"

// handshakeAnswerSQL is the handshake with revision 0, for clients that did
// not announce a protocol revision or asked for another format.
const handshakeAnswerSQL = "SELECT displayName(), version(), toUInt32(0) AS `revision()`, timezone()"

// minRevisionCustomSerialization is the first revision whose Native blocks
// carry a custom-serialization byte per column (DBMS 54454).
const minRevisionCustomSerialization = 54454

// handshakeBlock encodes the one-row handshake answer as a Native block at
// the given revision.
func handshakeBlock(c *chConn, revision uint64) ([]byte, error) {
	res, err := c.query("SELECT displayName(), version(), timezone()", "TabSeparated")
	if err != nil {
		return nil, err
	}
	fields := strings.Split(strings.TrimRight(string(res.bytes()), "\n"), "\t")
	res.free()
	if len(fields) != 3 {
		return nil, newError(codeUnknownException, "unexpected server info from chDB: "+strconv.Quote(strings.Join(fields, "\t")))
	}
	var b proto.Buffer
	if revision > 0 { // BlockInfo: is_overflows = false, bucket_num = -1
		b.PutUVarInt(1)
		b.PutBool(false)
		b.PutUVarInt(2)
		b.PutInt32(-1)
		b.PutUVarInt(0)
	}
	b.PutUVarInt(4) // columns
	b.PutUVarInt(1) // rows
	column := func(name, typ string, put func()) {
		b.PutString(name)
		b.PutString(typ)
		if revision >= minRevisionCustomSerialization {
			b.PutBool(false)
		}
		put()
	}
	column("displayName()", "String", func() { b.PutString(fields[0]) })
	column("version()", "String", func() { b.PutString(fields[1]) })
	column("revision()", "UInt32", func() { b.PutUInt32(0) })
	column("timezone()", "String", func() { b.PutString(fields[2]) })
	return b.Buf, nil
}
