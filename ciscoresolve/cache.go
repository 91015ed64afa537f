package ciscoresolve

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/stg-project/stg/snmp"
)

// Cache is the on-disk store of resolved subscribers: one JSON file per
// router in Dir, mode 0600 in a 0700 directory. It holds no secrets.
type Cache struct {
	// Dir is the directory of the cache files.
	Dir string
}

// cacheEntry is one cached mapping.
type cacheEntry struct {
	Result
	Saved time.Time `json:"saved"`
}

// cacheFile is the content of one router's cache file.
type cacheFile struct {
	Router  string                `json:"router"`
	Entries map[string]cacheEntry `json:"entries"`
}

// path returns the file of router: a readable name plus a short hash so that
// "udp:h:161" and "udp_h_161" do not collide.
func (c *Cache) path(router string) string {
	sum := sha256.Sum256([]byte(router))
	safe := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, router)
	if len(safe) > 64 {
		safe = safe[:64]
	}
	return filepath.Join(c.Dir, safe+"-"+hex.EncodeToString(sum[:4])+".json")
}

func (c *Cache) load(router string) (cacheFile, error) {
	f := cacheFile{Router: router, Entries: map[string]cacheEntry{}}
	b, err := os.ReadFile(c.path(router))
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return f, fmt.Errorf("read resolve cache for %s: %w", router, err)
	}
	if err := json.Unmarshal(b, &f); err != nil || f.Entries == nil {
		// A damaged cache is only a cache: start over.
		return cacheFile{Router: router, Entries: map[string]cacheEntry{}}, nil
	}
	return f, nil
}

// Lookup returns the cached mapping of user on router.
func (c *Cache) Lookup(router, user string) (Result, bool, error) {
	f, err := c.load(router)
	if err != nil {
		return Result{}, false, err
	}
	e, ok := f.Entries[user]
	return e.Result, ok, nil
}

// Store saves the mapping of user on router, written atomically.
func (c *Cache) Store(router, user string, res Result, now time.Time) error {
	return c.update(router, func(f *cacheFile) { f.Entries[user] = cacheEntry{Result: res, Saved: now} })
}

func (c *Cache) update(router string, change func(*cacheFile)) error {
	if err := os.MkdirAll(c.Dir, 0o700); err != nil {
		return fmt.Errorf("create cache directory %s: %w", c.Dir, err)
	}
	f, err := c.load(router)
	if err != nil {
		return err
	}
	change(&f)
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("encode resolve cache for %s: %w", router, err)
	}
	tmp, err := os.CreateTemp(c.Dir, ".resolve-*.tmp")
	if err != nil {
		return fmt.Errorf("write resolve cache for %s: %w", router, err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("write resolve cache for %s: %w", router, err)
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write resolve cache for %s: %w", router, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write resolve cache for %s: %w", router, err)
	}
	if err := os.Rename(tmp.Name(), c.path(router)); err != nil {
		return fmt.Errorf("write resolve cache for %s: %w", router, err)
	}
	return nil
}

// Cached is a Resolver that answers from the Cache when one GET confirms the
// cached mapping (the identity value still there and the interface still in
// IF-MIB), and otherwise asks Next and stores what it finds.
type Cached struct {
	// Cache is the store; Router its key.
	Cache  *Cache
	Router string
	// Client reads the verifying GET.
	Client snmp.Client
	// Next resolves on a miss.
	Next Resolver
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Resolve implements Resolver. Cache read and write failures are not fatal:
// the resolution goes on without the cache.
func (c *Cached) Resolve(ctx context.Context, user string) (Result, error) {
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	start := now()
	if cached, ok, err := c.Cache.Lookup(c.Router, user); err == nil && ok {
		res, ok, err := c.verify(ctx, cached)
		if err != nil {
			return Result{}, err
		}
		if ok {
			res.User = user
			res.Elapsed = now().Sub(start)
			return res, nil
		}
	}
	res, err := c.Next.Resolve(ctx, user)
	if err != nil {
		return res, err
	}
	if cacheable(res) {
		_ = c.Cache.Store(c.Router, user, res, now()) // best effort: a cache that cannot be written only costs speed
	}
	return res, nil
}

// cacheable reports whether a result's identity check names the user, so
// that a later GET proves the mapping still holds: every SNMP result, and
// a result found over SSH whose identity is the router's
// csubSessionUsername. An SSH result on a router without that MIB carries
// only ifDescr, which a Virtual-Access keeps when IOS hands it to the next
// subscriber: one GET cannot prove it, so it is not cached.
func cacheable(res Result) bool {
	if res.IdentityOID == "" {
		return false
	}
	if res.Method != MethodSSH {
		return true
	}
	return strings.HasPrefix(res.IdentityOID, OIDCsubSessionUsername+".") && res.IdentityValue == res.User
}

// verify reads the cached identity and the interface's names in one GET.
func (c *Cached) verify(ctx context.Context, cached Result) (Result, bool, error) {
	i := strconv.Itoa(cached.IfIndex)
	vars, err := c.Client.Get(ctx, []string{cached.IdentityOID, snmp.OIDIfDescr + "." + i, snmp.OIDIfName + "." + i})
	if err != nil {
		return Result{}, false, fmt.Errorf("verify cached ifIndex %d on %s: %w", cached.IfIndex, c.Router, err)
	}
	if len(vars) != 3 || !vars[0].Exists() || vars[0].Text() != cached.IdentityValue || !vars[1].Exists() {
		return Result{}, false, nil
	}
	res := cached
	res.IfDescr = vars[1].Text()
	if vars[2].Exists() {
		res.IfName = vars[2].Text()
	}
	res.Note = "cached " + string(cached.Method) + " mapping, verified by one GET"
	res.Method = MethodCache
	return res, true, nil
}
