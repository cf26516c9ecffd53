import { FifoTable } from '../../../src/model/table/fifo-table.js';
import { MapTable } from '../../../src/model/table/map-table.js';
import { describeTableContract } from './table-contract.js';

describeTableContract('MapTable', (maxEntries, onEvict) => new MapTable(maxEntries, onEvict));

describeTableContract('FifoTable', (maxEntries, onEvict) => new FifoTable(maxEntries, onEvict));
