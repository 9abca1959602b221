# tests/lab/confirm.sh - the independent confirmation of a scenario: what
# dig and delv (not bogus) see in the world. Sourced by tests/lab/world.sh;
# a scenario's confirm() calls expect/expect_delv/expect_tcp_refused and
# ends with confirm_done, which prints what was seen and fails if any
# expectation did not hold.

C_SEEN=
C_BAD=

# addr_of NAME|ADDR - a resolver's or server's address.
addr_of() {
	case $1 in
	unbound) echo "$UNBOUND_ADDR" ;;
	kresd) echo "$KRESD_ADDR" ;;
	office) echo "$OFFICE_ADDR" ;;
	root) echo "$ROOT_ADDR" ;;
	tld1) echo "$TLD1_ADDR" ;;
	tld2) echo "$TLD2_ADDR" ;;
	ns1) echo "$NS1_ADDR" ;;
	ns2) echo "$NS2_ADDR" ;;
	op1) echo "$OP1_ADDR" ;;
	op2) echo "$OP2_ADDR" ;;
	*) echo "$1" ;;
	esac
}

# q WHO NAME TYPE [DIG-OPTION...] - one query with DO=1; sets Q_OUT,
# Q_RCODE (TIMEOUT when no answer), Q_FLAGS, Q_EDE (codes), Q_ANSWER.
q() {
	local addr
	addr=$(addr_of "$1")
	Q_OUT=$(dig +time=3 +tries=1 +dnssec "${@:4}" "@$addr" "$2" "$3" 2>&1)
	Q_RCODE=$(sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$Q_OUT" | head -n 1)
	[ -n "$Q_RCODE" ] || Q_RCODE=TIMEOUT
	Q_FLAGS=$(sed -n 's/^;; flags: \([a-z ]*\);.*/\1/p' <<<"$Q_OUT" | head -n 1)
	Q_EDE=$(sed -n 's/^; EDE: \([0-9]*\).*/\1/p' <<<"$Q_OUT" | sort -u | tr '\n' ' ')
	Q_EDE=${Q_EDE% }
	Q_ANSWER=$(sed -n 's/.*ANSWER: \([0-9]*\),.*/\1/p' <<<"$Q_OUT" | head -n 1)
}

has_flag() { case " $Q_FLAGS " in *" $1 "*) return 0 ;; esac; return 1; }

# expect WHO NAME TYPE RCODE [CHECK...] - CHECK: ad, noad, tc, answer,
# ede=N[,N...] (one of them must be there), or a dig option (+cd, +norec,
# +tcp, +bufsize=N...) for the query.
expect() {
	local who=$1 name=$2 type=$3 want=$4 ok=1 c e found opts=()
	shift 4
	for c; do case $c in +*) opts+=("$c") ;; esac; done
	q "$who" "$name" "$type" "${opts[@]}"
	[ "$Q_RCODE" = "$want" ] || ok=0
	for c; do
		case $c in
		ad | tc) has_flag "$c" || ok=0 ;;
		noad) has_flag ad && ok=0 ;;
		answer) [ "${Q_ANSWER:-0}" -gt 0 ] || ok=0 ;;
		ede=*)
			found=0
			for e in $(tr ',' ' ' <<<"${c#ede=}"); do
				case " $Q_EDE " in *" $e "*) found=1 ;; esac
			done
			[ $found -eq 1 ] || ok=0
			;;
		esac
	done
	local seen="$who $name/$type ${opts[*]}${opts[*]:+ }$Q_RCODE"
	has_flag ad && seen="$seen+AD"
	has_flag tc && seen="$seen+TC"
	[ -z "$Q_EDE" ] || seen="$seen EDE $Q_EDE"
	if [ $ok -eq 1 ]; then
		C_SEEN="$C_SEEN${C_SEEN:+, }$seen"
	else
		C_BAD="$C_BAD${C_BAD:+; }$who $name/$type: want $want $*, got $Q_RCODE flags [$Q_FLAGS] EDE [$Q_EDE]"
	fi
}

# expect_delv NAME TYPE validated|unsigned|failed [TEXT] - delv with the lab
# anchor, through the non-validating resolver (delv validates by itself);
# TEXT must appear in its output (e.g. the failure reason).
expect_delv() {
	local name=$1 type=$2 want=$3 text=${4:-} out got
	out=$(timeout 20 delv @"$OFFICE_ADDR" -a "$LAB_DELV_ANCHOR" +root=. "$name" "$type" 2>&1)
	case $out in
	*"; fully validated"*) got=validated ;;
	*"; unsigned answer"*) got=unsigned ;;
	*"resolution failed"*) got=failed ;;
	*) got=unknown ;;
	esac
	local why
	why=$(grep -m1 -o 'resolution failed: .*' <<<"$out")
	if [ "$got" = "$want" ] && { [ -z "$text" ] || grep -qi -- "$text" <<<"$out"; }; then
		C_SEEN="$C_SEEN${C_SEEN:+, }delv $name/$type $got${why:+ (${why#resolution failed: })}"
	else
		C_BAD="$C_BAD${C_BAD:+; }delv $name/$type: want $want${text:+ \"$text\"}, got $got: $(tr '\n' ' ' <<<"$out" | cut -c1-200)"
	fi
}

# expect_tcp_refused WHO - a TCP query gets a reset at once (not a timeout).
expect_tcp_refused() {
	local addr out
	addr=$(addr_of "$1")
	out=$(dig +tcp +time=3 +tries=1 "@$addr" example.test SOA 2>&1)
	if grep -qi 'refused' <<<"$out"; then
		C_SEEN="$C_SEEN${C_SEEN:+, }$1 TCP refused"
	else
		C_BAD="$C_BAD${C_BAD:+; }$1 TCP: want connection refused, got: $(tr '\n' ' ' <<<"$out" | cut -c1-160)"
	fi
}

# confirm_done - prints what was seen (or what was wrong); its status is
# the confirmation's.
confirm_done() {
	if [ -n "$C_BAD" ]; then
		echo "$C_BAD"
		C_SEEN= C_BAD=
		return 1
	fi
	echo "$C_SEEN"
	C_SEEN= C_BAD=
	return 0
}
