package ciscoresolve

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/stg-project/stg/snmp"
)

// Session is a subscriber on an interface, as a table of every session
// (stg top) reads it.
type Session struct {
	// User is the subscriber's username.
	User string
	// Method is where it was read: MethodCsub or MethodCasn.
	Method Method
	// ID is the CISCO-AAA-SESSION-MIB session index (MethodCasn only).
	ID string
}

// Sessions reads which subscriber is on which interface for every session
// of a router at once: CISCO-SUBSCRIBER-SESSION-MIB csubSessionUsername
// (indexed by ifIndex) when the router has it, else CISCO-AAA-SESSION-MIB
// casnUserId joined to casnVaiIfIndex. Load reads them all; Lookup reads
// only what is new, for interfaces that appeared since. A Sessions is used
// from one goroutine.
type Sessions struct {
	SNMP
	// method is the MIB Load found; "" when the router has neither.
	method Method
	// lastID is the highest casn session index read: sessions opened
	// later have higher ones, so Lookup reads on from there.
	lastID string
}

// Method returns where Load found the sessions: MethodCsub, MethodCasn, or
// "" when the router has neither MIB (or no session in it).
func (s *Sessions) Method() Method { return s.method }

// Load reads every session, by ifIndex. A router without either session
// MIB (or without sessions) gives an empty map and no error. A casn
// session whose casnVaiIfIndex is 0 (the Virtual-Access is not in IF-MIB)
// has no interface to be on and is left out.
func (s *Sessions) Load(ctx context.Context) (map[int]Session, error) {
	out := map[int]Session{}
	err := s.walk(ctx, "csubSessionUsername", OIDCsubSessionUsername, func(index string, v snmp.Variable) error {
		if n, err := strconv.Atoi(index); err == nil && n > 0 && v.Text() != "" {
			out[n] = Session{User: v.Text(), Method: MethodCsub}
		}
		return nil
	})
	switch {
	case err == nil && len(out) > 0:
		s.method = MethodCsub
		return out, nil
	case err != nil && !errors.Is(err, ErrUnsupported):
		return nil, err
	}
	users := map[string]string{}
	err = s.walk(ctx, "casnUserId", OIDCasnUserID, func(index string, v snmp.Variable) error {
		users[index] = v.Text()
		s.noteID(index)
		return nil
	})
	switch {
	case errors.Is(err, ErrUnsupported):
		return out, nil
	case err != nil:
		return nil, err
	}
	err = s.walk(ctx, "casnVaiIfIndex", OIDCasnVaiIfIndex, func(index string, v snmp.Variable) error {
		if user := users[index]; user != "" && v.Exists() && v.Uint > 0 {
			out[int(v.Uint)] = Session{User: user, Method: MethodCasn, ID: index}
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrUnsupported) {
		return nil, err
	}
	if len(users) > 0 {
		s.method = MethodCasn
	}
	return out, nil
}

// Lookup reads the sessions of interfaces that appeared after Load, by
// ifIndex: a GET of their csubSessionUsername, or the casn sessions opened
// since the last read (casnVaiIfIndex after the highest session index
// read, then their casnUserId). Interfaces without a session are not in
// the map. It reads nothing when Load found no session MIB.
func (s *Sessions) Lookup(ctx context.Context, ifIndexes []int) (map[int]Session, error) {
	out := map[int]Session{}
	switch s.method {
	case MethodCsub:
		oids := make([]string, len(ifIndexes))
		for i, n := range ifIndexes {
			oids[i] = OIDCsubSessionUsername + "." + strconv.Itoa(n)
		}
		vars, err := s.Client.Get(ctx, oids)
		if err != nil {
			return nil, fmt.Errorf("get csubSessionUsername of %d interfaces on %s: %w", len(ifIndexes), s.Router, err)
		}
		for i, v := range vars {
			if i < len(ifIndexes) && v.Kind == snmp.KindOctetString && v.Text() != "" {
				out[ifIndexes[i]] = Session{User: v.Text(), Method: MethodCsub}
			}
		}
	case MethodCasn:
		if err := s.newCasn(ctx, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// newCasn reads the casn sessions after lastID into out.
func (s *Sessions) newCasn(ctx context.Context, out map[int]Session) error {
	vai := map[string]int{}
	from := OIDCasnVaiIfIndex
	if s.lastID != "" {
		from += "." + s.lastID
	}
	for {
		vars, err := s.Client.GetBulk(ctx, []string{from}, snmp.DefaultMaxRepetitions)
		if err != nil {
			return fmt.Errorf("read new casnVaiIfIndex rows on %s: %w", s.Router, err)
		}
		more := len(vars) > 0
		for _, v := range vars {
			if !v.Exists() || !snmp.HasPrefix(v.OID, OIDCasnVaiIfIndex) || v.OID == OIDCasnVaiIfIndex {
				more = false
				break
			}
			if snmp.CompareOIDs(v.OID, from) <= 0 {
				return fmt.Errorf("read new casnVaiIfIndex rows on %s: %s after %s: %w", s.Router, v.OID, from, snmp.ErrNotIncreasing)
			}
			from = v.OID
			if v.Uint > 0 {
				vai[v.OID[len(OIDCasnVaiIfIndex)+1:]] = int(v.Uint)
			}
		}
		if !more {
			break
		}
	}
	if len(vai) == 0 {
		return nil
	}
	ids := make([]string, 0, len(vai))
	oids := make([]string, 0, len(vai))
	for id := range vai {
		ids = append(ids, id)
		oids = append(oids, OIDCasnUserID+"."+id)
	}
	vars, err := s.Client.Get(ctx, oids)
	if err != nil {
		return fmt.Errorf("get casnUserId of %d new sessions on %s: %w", len(ids), s.Router, err)
	}
	for i, v := range vars {
		if i >= len(ids) || v.Kind != snmp.KindOctetString || v.Text() == "" {
			continue
		}
		out[vai[ids[i]]] = Session{User: v.Text(), Method: MethodCasn, ID: ids[i]}
		s.noteID(ids[i])
	}
	return nil
}

// noteID remembers the highest casn session index read.
func (s *Sessions) noteID(index string) {
	if s.lastID == "" || snmp.CompareOIDs(index, s.lastID) > 0 {
		s.lastID = index
	}
}

// InterfaceUser returns the subscriber an interface's own names give,
// without a session MIB: MikroTik's dynamic interface <pppoe-USER> (also
// <l2tp-...>, <pptp-...>, <sstp-...>, <ovpn-...>) in its ifName or
// ifDescr, or the ifAlias of a Cisco Virtual-Access, where a RADIUS
// "interface-config=description USER" puts the username, when that alias
// is one word a username can be. "" means none: stg never guesses.
func InterfaceUser(descr, name, alias string) string {
	for _, text := range []string{name, descr} {
		for _, p := range tunnelPrefixes {
			if len(text) > len(p)+1 && strings.EqualFold(text[:len(p)], p) && text[len(text)-1] == '>' {
				return text[len(p) : len(text)-1]
			}
		}
	}
	if !strings.HasPrefix(descr, "Virtual-Access") || alias == "" {
		return ""
	}
	for i := 0; i < len(alias); i++ {
		if !nameByte(alias[i]) {
			return ""
		}
	}
	return alias
}
