#!/usr/bin/env bash
# A three-node MariaDB Galera cluster on this machine, for the multi-primary tests:
#   scripts/galera-cluster.sh start   nodes on 127.0.0.1:3311, 3312, 3313; user `unireg`, no password
#   scripts/galera-cluster.sh stop    shuts the nodes down and removes their data
# The first node bootstraps the cluster (--wsrep-new-cluster); the others join it by rsync state transfer.
# Loopback only; each node has its own data folder, socket and ports under $GALERA_DIR.
set -euo pipefail

base=${GALERA_DIR:-/tmp/unireg-galera}
sql_ports=(3311 3312 3313)
group_ports=(4571 4572 4573)
ist_ports=(4581 4582 4583)
sst_ports=(4591 4592 4593)
provider=$(ls /usr/lib/galera/libgalera_smm.so /usr/lib/galera-4/libgalera_smm.so /usr/lib/libgalera_smm.so 2>/dev/null | head -n 1 || true)

node_sql() { mariadb --no-defaults --socket="$base/node$1/mysqld.sock" -u root -N -e "$2"; }

wait_for() { # node, condition SQL that returns 1 when met
  for _ in $(seq 1 120); do
    [ "$(node_sql "$1" "$2" 2>/dev/null || true)" = "1" ] && return 0
    sleep 1
  done
  echo "galera node $1 did not get ready; its log:" >&2
  tail -n 30 "$base/node$1/error.log" >&2 || true
  return 1
}

configure() { # node
  local dir="$base/node$1"
  mkdir -p "$dir/data"
  cat > "$dir/my.cnf" <<CNF
[mysqld]
user=mysql
datadir=$dir/data
socket=$dir/mysqld.sock
pid-file=$dir/mysqld.pid
log-error=$dir/error.log
port=${sql_ports[$1]}
bind-address=127.0.0.1
skip-name-resolve
binlog_format=ROW
default_storage_engine=InnoDB
innodb_autoinc_lock_mode=2
innodb_buffer_pool_size=64M
wsrep_on=ON
wsrep_provider=$provider
wsrep_cluster_name=unireg_test
wsrep_cluster_address=gcomm://127.0.0.1:${group_ports[0]},127.0.0.1:${group_ports[1]},127.0.0.1:${group_ports[2]}
wsrep_node_address=127.0.0.1:${group_ports[$1]}
wsrep_provider_options="base_port=${group_ports[$1]};ist.recv_addr=127.0.0.1:${ist_ports[$1]}"
wsrep_sst_method=rsync
wsrep_sst_receive_address=127.0.0.1:${sst_ports[$1]}
wsrep_sync_wait=1
CNF
  chown -R mysql:mysql "$dir"
}

start_node() { # node, extra mariadbd arguments
  local dir="$base/node$1"
  shift
  nohup mariadbd --defaults-file="$dir/my.cnf" "$@" >/dev/null 2>&1 &
}

start() {
  [ -n "$provider" ] || { echo "galera-4 is not installed (apt-get install -y galera-4 rsync)" >&2; exit 1; }
  command -v rsync >/dev/null || { echo "rsync is not installed (apt-get install -y rsync)" >&2; exit 1; }
  stop_quietly
  for node in 0 1 2; do configure "$node"; done
  mariadb-install-db --no-defaults --user=mysql --datadir="$base/node0/data" --auth-root-authentication-method=socket >/dev/null
  start_node 0 --wsrep-new-cluster
  wait_for 0 "SELECT VARIABLE_VALUE = 'ON' FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'wsrep_ready'"
  node_sql 0 "CREATE USER IF NOT EXISTS 'unireg'@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO 'unireg'@'127.0.0.1'"
  for node in 1 2; do
    start_node "$node"
    wait_for "$node" "SELECT VARIABLE_VALUE = 'Synced' FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'wsrep_local_state_comment'"
  done
  wait_for 0 "SELECT VARIABLE_VALUE = 3 FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME = 'wsrep_cluster_size'"
  echo "galera: three nodes on 127.0.0.1:${sql_ports[0]}, ${sql_ports[1]}, ${sql_ports[2]}"
}

stop_quietly() {
  for node in 2 1 0; do
    if [ -S "$base/node$node/mysqld.sock" ]; then
      mariadb-admin --no-defaults --socket="$base/node$node/mysqld.sock" -u root shutdown >/dev/null 2>&1 || true
    fi
    if [ -f "$base/node$node/mysqld.pid" ]; then
      kill "$(cat "$base/node$node/mysqld.pid")" >/dev/null 2>&1 || true
    fi
  done
  for _ in $(seq 1 30); do
    pgrep -f "mariadbd --defaults-file=$base/" >/dev/null || break
    sleep 1
  done
  rm -rf "$base"
}

case "${1:-}" in
  start) start ;;
  stop) stop_quietly ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
